/**
 * IpcPort over ipcMain: one `handle` per contract channel, each told which frame is asking so main
 * can refuse anything but the app's own top frame (see electron/main/ipc-sender.ts).
 */
import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { Events } from '../contract.js';
import type { IpcPort, IpcSender } from '../main/platform.js';

export function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  // Compared by ids: a frame is its process and routing id, whichever wrapper object Electron hands out.
  const isMainFrame = frame !== null && frame.processId === main.processId && frame.routingId === main.routingId;
  return { url: frame?.url ?? '', isMainFrame };
}

export function createElectronIpc(windows: () => readonly BrowserWindow[]): IpcPort {
  return {
    handle(channel, listener) {
      ipcMain.handle(channel, (event, payload: unknown) => listener(senderOf(event), payload));
    },
    broadcast<E extends keyof Events>(event: E, payload: Events[E]) {
      for (const window of windows()) {
        if (!window.isDestroyed()) window.webContents.send(event, payload);
      }
    },
  };
}
