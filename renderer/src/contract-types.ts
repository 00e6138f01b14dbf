// The renderer's one door to the contract: types only, erased at build time (eslint enforces `import type`).
export type {
  AppInfo,
  AuthApi,
  ErrorCode,
  ErrorValue,
  NotRememberedReason,
  ProtectedData,
  ProviderSummary,
  Result,
  SessionSnapshot,
  SessionStatus,
  SignOutResult,
  StorageProtection,
  UserProfile,
} from '../../electron/contract.js';
