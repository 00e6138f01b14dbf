/**
 * The sandboxed preload: `window.auth` and nothing else. The renderer gets purpose-named functions
 * built from the contract (auth-api.ts), never ipcRenderer, so a compromised page can only ask main
 * the questions the contract lists, and main still checks the sender and every payload.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { RendererTransport } from '../contract.js';
import { createAuthApi } from './auth-api.js';

const transport: RendererTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe(event, listener) {
    // Only the payload crosses: the IPC event object (with `sender`) stays in the preload.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('auth', createAuthApi(transport));
