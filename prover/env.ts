/**
 * Backend selection and the recorded environment (DESIGN §6): replay is bit-exact only on the
 * backend the job recorded, so the entry's envHash commits to the tfjs version, the backend and
 * the facts that change its arithmetic (wasm SIMD / thread count, the WebGPU adapter).
 *
 * WebGPU in Node uses Dawn from the `webgpu` package. On machines without a GPU it runs on Mesa
 * (llvmpipe) through OpenGL ES: EGL_PLATFORM=surfaceless, backend=opengles and the
 * 'compatibility' feature level (DESIGN §9). FLAGSTONE_WEBGPU_BACKEND overrides the Dawn backend
 * (e.g. "vulkan" on real GPUs).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { jsonHash } from '../ledger/index.ts';
import { ProverError } from './errors.ts';
import type { BackendName } from './spec.ts';

export interface EnvDescriptor {
  readonly runtime: 'tfjs';
  readonly tfjs: string;
  readonly backend: BackendName;
  readonly wasm?: { readonly simd: boolean; readonly threads: number };
  readonly webgpu?: {
    readonly dawnBackend: string;
    readonly vendor: string;
    readonly architecture: string;
    readonly device: string;
    readonly description: string;
  };
}

const require = createRequire(import.meta.url);
let wasmConfigured = false;
let webgpuInfo: EnvDescriptor['webgpu'] | undefined;

async function configureWasm(): Promise<void> {
  if (wasmConfigured) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dist = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  wasm.setWasmPaths(`${dist}${path.sep}`);
  // One thread: XNNPACK's thread pool would only change scheduling, but one thread keeps the
  // backend identical to what a single-core verifier runs (and Node has no wasm threads anyway).
  wasm.setThreadsCount(1);
  wasmConfigured = true;
}

/** Installs navigator.gpu from Dawn; resolves the adapter's identity, or undefined if none. */
async function configureWebgpu(): Promise<EnvDescriptor['webgpu'] | undefined> {
  if (webgpuInfo) return webgpuInfo;
  const dawnBackend = process.env.FLAGSTONE_WEBGPU_BACKEND ?? 'opengles';
  if (dawnBackend === 'opengles') process.env.EGL_PLATFORM ??= 'surfaceless';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([`backend=${dawnBackend}`]);
  const request = gpu.requestAdapter.bind(gpu);
  const featureLevel = dawnBackend === 'opengles' ? 'compatibility' : 'core';
  // tfjs asks for an adapter itself; make it ask for the feature level this Dawn backend has.
  (gpu as { requestAdapter: unknown }).requestAdapter = (o?: object) =>
    request({ ...o, featureLevel } as GPURequestAdapterOptions);
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  g.navigator ??= {};
  g.navigator.gpu = gpu;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return undefined;
  const info = adapter.info;
  webgpuInfo = {
    dawnBackend,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
  return webgpuInfo;
}

/** True when a WebGPU adapter can be obtained here (tests skip webgpu otherwise). */
export async function webgpuAvailable(): Promise<boolean> {
  try {
    return (await configureWebgpu()) !== undefined;
  } catch {
    return false;
  }
}

/** Makes `name` the active tfjs backend and returns the environment descriptor to record. */
export async function useBackend(name: BackendName): Promise<EnvDescriptor> {
  let webgpu: EnvDescriptor['webgpu'];
  if (name === 'wasm') await configureWasm();
  if (name === 'webgpu') {
    webgpu = await configureWebgpu();
    if (!webgpu)
      throw new ProverError(
        'FLAGSTONE_ERR_BACKEND_UNAVAILABLE',
        'no WebGPU adapter on this machine',
      );
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  const silence = console.warn;
  console.warn = () => {}; // tfjs prints a "use tfjs-node" banner on first use
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } finally {
    console.warn = silence;
  }
  if (!ok || tf.getBackend() !== name)
    throw new ProverError(
      'FLAGSTONE_ERR_BACKEND_UNAVAILABLE',
      `tfjs backend ${name} failed to start`,
    );
  return describeEnv(name, webgpu);
}

async function describeEnv(
  name: BackendName,
  webgpu?: EnvDescriptor['webgpu'],
): Promise<EnvDescriptor> {
  const base = { runtime: 'tfjs' as const, tfjs: tf.version.tfjs, backend: name };
  if (name === 'wasm')
    return {
      ...base,
      wasm: { simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')), threads: 1 },
    };
  if (name === 'webgpu') return { ...base, webgpu };
  return base;
}

export function envHash(env: EnvDescriptor): string {
  return jsonHash(env);
}
