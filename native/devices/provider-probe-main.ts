/**
 * Tries every execution provider with a real one-node session and prints
 * which work, as JSON on stdout. It runs as its own short-lived process
 * (probe-devices.ts starts it with a time limit) because a GPU driver can hang
 * or crash while a provider initializes, and the agent must survive that.
 */
import ort from 'onnxruntime-node';
import { buildModelBytes, GraphBuilder } from '../onnx/graph-builder.ts';
import { EXECUTION_PROVIDERS } from '../worker/session-options.ts';
import type { ProviderCheck } from './device-report.ts';

function probeModel(): Uint8Array {
  const graph = new GraphBuilder('provider_probe');
  const x = graph.input('x', 'float32', [4]);
  graph.node('Relu', [x], {}, { outputs: ['y'] });
  graph.output('y', 'float32', [4]);
  return buildModelBytes(graph);
}

function firstLine(message: string): string {
  // onnxruntime prefixes the C++ file, line and the failed assertion; the sentence after the assertion is the reason.
  const withoutSource = message.replace(/\/onnxruntime_src\/\S+:\d+\s*/g, '');
  const reason = / was false\. (.+)$/s.exec(withoutSource)?.[1] ?? withoutSource;
  const cleaned = reason.replace(/\s+/g, ' ').trim();
  return cleaned.length > 240 ? `${cleaned.slice(0, 240)}…` : cleaned;
}

const model = probeModel();
const checks: ProviderCheck[] = [];
const available = new Set(ort.listSupportedBackends().map((backend) => backend.name));
for (const provider of EXECUTION_PROVIDERS) {
  if (!available.has(provider)) {
    checks.push({ provider, usable: false, reason: 'not built into onnxruntime-node on this platform' });
    continue;
  }
  try {
    // No CPU fallback: the session must be created on this provider alone.
    const session = await ort.InferenceSession.create(model, { executionProviders: [provider], logSeverityLevel: 4 });
    const result = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-1, 0, 1, 2), [4]) });
    const y = Array.from(result.y?.data as Float32Array);
    await session.release();
    const isRight = y.join() === '0,0,1,2';
    checks.push({ provider, usable: isRight, reason: isRight ? null : `computed ${y.join(', ')} for Relu` });
  } catch (error) {
    checks.push({ provider, usable: false, reason: firstLine(error instanceof Error ? error.message : String(error)) });
  }
}
process.stdout.write(JSON.stringify({ onnxruntimeVersion: ort.env.versions.common ?? 'unknown', checks }));
