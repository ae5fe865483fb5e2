// serverless-offline, the functions' runtime on the edge, on private loopback ports. Only the front
// door is public. Ports are picked fresh at every start, and a start that loses a port race (another
// process took it between the pick and the bind) is retried on new ones.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '..');
const LOOPBACK = '127.0.0.1';

export interface FunctionServer {
  httpPort: number;
  lambdaPort: number;
  child: ChildProcess;
  invoke(functionName: string, payload?: unknown): Promise<void>;
  stop(): Promise<void>;
}

function startOnce(env: NodeJS.ProcessEnv, httpPort: number, lambdaPort: number): { child: ChildProcess; output: () => string } {
  let tail = '';
  const child = spawn(
    process.execPath,
    ['--require', path.join(__dirname, 'exit-with-parent.cjs'), path.join(root, 'node_modules/serverless/bin/serverless.js'), 'offline', 'start'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        HOST: LOOPBACK,
        PORT: String(httpPort),
        LAMBDA_PORT: String(lambdaPort),
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      },
    },
  );
  const keep = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-8000);
  };
  child.stdout.on('data', (d: Buffer) => (keep(d), process.stdout.write(d)));
  child.stderr.on('data', (d: Buffer) => (keep(d), process.stderr.write(d)));
  return { child, output: () => tail };
}

export async function startFunctionServer(opts: { env: NodeJS.ProcessEnv; lambdaPort?: number; timeoutMs?: number }): Promise<FunctionServer> {
  for (let attempt = 1; ; attempt++) {
    const httpPort = await freePort(LOOPBACK);
    const lambdaPort = opts.lambdaPort ?? (await freePort(LOOPBACK));
    const { child, output } = startOnce(opts.env, httpPort, lambdaPort);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) throw Object.assign(new Error('function server exited'), { exited: true });
          const r = await fetch(`http://${LOOPBACK}:${httpPort}/health`).catch(() => undefined);
          return r?.status === 200 ? true : undefined;
        },
        { timeoutMs: opts.timeoutMs ?? 120_000, intervalMs: 250, what: 'the function server' },
      );
    } catch (e) {
      child.kill('SIGKILL');
      if (attempt < 3 && /EADDRINUSE/.test(output()) && opts.lambdaPort === undefined) continue;
      throw new Error(`the function server did not start: ${String((e as Error).message)}\n${output().slice(-2000)}`);
    }
    return {
      httpPort,
      lambdaPort,
      child,
      invoke: async (functionName, payload = {}) => {
        await fetch(`http://${LOOPBACK}:${lambdaPort}/2015-03-31/functions/${functionName}/invocations`, {
          method: 'POST',
          body: JSON.stringify(payload),
        }).catch(() => undefined);
      },
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      },
    };
  }
}
