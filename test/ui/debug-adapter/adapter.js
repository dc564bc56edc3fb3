// A minimal stand-in for debugpy: no breakpoints, no stepping; it runs the program and reports
// what a real adapter reports about it: `output` events (stdout/stderr, or with
// "console": "integratedTerminal" a `runInTerminal` request instead), `exited` with the exit
// code, then `terminated`. A `disconnect`/`terminate` request stops the program.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

class PythonStandInAdapter {
  constructor(vscode) {
    this.emitter = new vscode.EventEmitter();
    this.onDidSendMessage = this.emitter.event;
    this.seq = 1;
    this.child = undefined;
    this.exitPoll = undefined;
    this.finished = false;
  }

  handleMessage(message) {
    if (message.type === 'response') return; // the editor's answer to runInTerminal
    if (message.type !== 'request') return;
    switch (message.command) {
      case 'initialize':
        this.respond(message, { supportsConfigurationDoneRequest: true, supportsTerminateRequest: true });
        this.event('initialized');
        break;
      case 'launch':
        this.respond(message);
        this.launch(message.arguments || {});
        break;
      case 'threads':
        this.respond(message, { threads: [{ id: 1, name: 'main' }] });
        break;
      case 'disconnect':
      case 'terminate':
        this.stop();
        this.respond(message);
        break;
      default:
        this.respond(message);
    }
  }

  launch(args) {
    const python = typeof args.python === 'string' ? args.python : 'python3';
    const target = args.program ? [args.program] : ['-m', args.module];
    const argv = [python, ...target, ...(Array.isArray(args.args) ? args.args : [])];
    const cwd = args.cwd || (args.program ? path.dirname(args.program) : process.cwd());
    const env = { ...process.env, ...(args.env || {}), PYTHONUNBUFFERED: '1' };
    if (args.console === 'integratedTerminal') return this.launchInTerminal(argv, cwd, args.env || {});
    this.child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d) => this.event('output', { category: 'stdout', output: d.toString() }));
    this.child.stderr.on('data', (d) => this.event('output', { category: 'stderr', output: d.toString() }));
    this.child.on('error', (e) => this.end(1, `could not start ${argv[0]}: ${e.message}\n`));
    this.child.on('close', (code, signal) => this.end(code === null ? 128 + (os.constants.signals[signal] || 0) : code));
  }

  /** As debugpy's launcher does: the editor runs the program in a terminal; an exit-code file tells the end. */
  launchInTerminal(argv, cwd, env) {
    const exitFile = path.join(os.tmpdir(), `exptrack-standin-${process.pid}-${Date.now()}.exit`);
    const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    this.request('runInTerminal', {
      kind: 'integrated', title: 'Python Debug Console', cwd, env,
      args: ['bash', '-c', `${quoted}; echo $? > '${exitFile}'`],
    });
    this.exitPoll = setInterval(() => {
      if (!fs.existsSync(exitFile)) return;
      const code = Number(fs.readFileSync(exitFile, 'utf8').trim());
      if (Number.isNaN(code)) return; // still being written
      fs.rmSync(exitFile, { force: true });
      this.end(code);
    }, 100);
  }

  stop() {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
    if (this.exitPoll) this.end(143);
  }

  end(exitCode, message) {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.exitPoll);
    if (message) this.event('output', { category: 'stderr', output: message });
    this.event('exited', { exitCode });
    this.event('terminated');
  }

  respond(request, body) {
    this.emitter.fire({ seq: this.seq++, type: 'response', request_seq: request.seq, success: true, command: request.command, ...(body ? { body } : {}) });
  }

  request(command, args) {
    this.emitter.fire({ seq: this.seq++, type: 'request', command, arguments: args });
  }

  event(event, body) {
    this.emitter.fire({ seq: this.seq++, type: 'event', event, ...(body ? { body } : {}) });
  }

  dispose() {
    this.stop();
    this.emitter.dispose();
  }
}

module.exports = { PythonStandInAdapter };
