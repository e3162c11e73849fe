/**
 * Starts a language server inside this very process, in the working directory and environment the
 * caller chose. `LspClient` always runs `node SERVER --stdio` with the parent's cwd and env; pointing
 * it at this file instead (with RVN_LAUNCH set for the spawn) lets the benchmarks and the fuzz tests
 * run peers that take other arguments (`bash-language-server start`) and run our server in a fresh
 * temp cwd/HOME, without changing the client the other tests use. The server keeps this PID, so
 * /proc/PID/status measures the server itself.
 *
 * RVN_LAUNCH = {"module": absolute path, "argv": [...], "cwd"?: dir, "env"?: {...}, "call"?: export to call}
 */
'use strict';
const spec = JSON.parse(process.env.RVN_LAUNCH || 'null');
if (!spec || typeof spec.module !== 'string') {
  process.stderr.write('lspLauncher: RVN_LAUNCH must name a module\n');
  process.exit(2);
}
delete process.env.RVN_LAUNCH;
if (spec.cwd) process.chdir(spec.cwd);
Object.assign(process.env, spec.env || {});
process.argv = [process.argv[0], spec.module, ...(spec.argv || [])];
const loaded = require(spec.module);
// bash-language-server's cli only runs when it is the main module; call its entry point instead.
if (spec.call) loaded[spec.call]();
