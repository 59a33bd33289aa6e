// Lists every platform binary of @napi-rs/canvas in package-lock.json, so that `npm ci` accepts the
// lock on any machine. A registry mirror that lacks some platforms' builds makes `npm install` leave them
// out, and `npm ci` then refuses the lock as "out of sync". Run after `npm install` changes the lock:
//   node scripts/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';
const p = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(p, 'utf8'));
const canvas = lock.packages['node_modules/@napi-rs/canvas'];
const spec = {
  'android-arm64': { os: ['android'], cpu: ['arm64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm-gnueabihf': { os: ['linux'], cpu: ['arm'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'linux-riscv64-gnu': { os: ['linux'], cpu: ['riscv64'], libc: ['glibc'] },
  'linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
  'win32-arm64-msvc': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64-msvc': { os: ['win32'], cpu: ['x64'] },
};
const out = {};
for (const [k, v] of Object.entries(lock.packages)) {
  out[k] = v;
  if (k === 'node_modules/@napi-rs/canvas-linux-arm64-gnu') {
    for (const [name, s] of Object.entries(spec)) {
      const key = `node_modules/@napi-rs/canvas-${name}`;
      if (!lock.packages[key]) out[key] = { version: canvas.version, license: 'MIT', optional: true, ...s, engines: { node: '>= 10' } };
    }
  }
}
lock.packages = out;
writeFileSync(p, JSON.stringify(lock, null, 2) + '\n');
