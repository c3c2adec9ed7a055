// Types of the electron-builder beforePack hook that reports signing and notarization (signing-report.mjs).
export declare function signingPlan(target: string, vars: Record<string, string | undefined>, host?: string): string[];
export default function beforePack(context: { electronPlatformName: string }): Promise<void>;
