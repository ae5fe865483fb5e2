import type { Linter, Rule } from 'eslint';

export declare const NEVER: [from: string, to: string, why: string][];
export declare function forbiddenImport(root: string, file: string, specifier: unknown): string | undefined;
export declare function layerImportsRule(root: string): Rule.RuleModule;
export declare function layerImportsConfig(root: string): Linter.Config;
