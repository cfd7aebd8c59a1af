import type { CodeEndpoint, Notification } from '../model.js';
import type { AuthClassifier, KnownLib } from '../auth/classify.js';
import type { Interpreter, InterpreterPlugin } from '../resolve/interpreter.js';

/**
 * A framework plugin. It turns on when a package.json names one of its packages or a file imports one, tells the
 * pipeline which files can hold its routes (a cheap text test), gives meaning to its package's values during the
 * shared interpretation, and finally turns what it recorded into endpoints.
 */
export interface FrameworkPlugin {
  name: string;
  /** Packages whose presence in dependencies (or in an import) turns the plugin on. */
  packages: string[];
  /**
   * Cheap pre-filter on a file (repo-relative path and text): could it create an app/router of this framework or
   * register routes? File-based frameworks (Next.js) decide by path too.
   */
  isEntry(text: string, file: string): boolean;
  /** Per-scan state: interpreter hooks and the final extraction. */
  start(ctx: PluginContext): PluginRun;
  /**
   * File-based frameworks (Next.js) set this to false: their entry files are routes by their path, so the files that
   * import them are not wiring to follow (default: followed, up to three levels, to find `server.ts` starting an app).
   */
  wiredByImporters?: boolean;
  /** Auth libraries of this framework's ecosystem (`@fastify/jwt`, `koa-jwt`, `hono/jwt`, ...), by package and call chain. */
  authLibs?: KnownLib[];
}

export interface PluginContext {
  /** Package directory ('.' for the root) that holds a repo-relative file. */
  serviceOf(file: string): string;
  notify(n: Notification): void;
  /** Every source file of the scan (repo-relative, sorted). */
  files: readonly string[];
  /** Reads a JSON (or JSON with comments) file of the repository as data; undefined when it cannot. */
  readJson(file: string): unknown;
}

export interface PluginRun {
  hooks: InterpreterPlugin;
  /** Called once every entry module has been interpreted. */
  finish(done: { classifier: AuthClassifier; it: Interpreter; entries: readonly string[] }): CodeEndpoint[];
}
