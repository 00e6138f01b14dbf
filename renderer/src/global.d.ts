import type { AuthApi } from './contract-types.js';

declare global {
  interface Window {
    /** Exposed by the preload (contextBridge) or the headless host: the renderer's only way to main. */
    readonly auth: AuthApi;
  }
}

export {};
