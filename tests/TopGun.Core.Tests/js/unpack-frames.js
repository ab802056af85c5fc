'use strict';
// Direction 2 of the codec cross-check: reads JSON lines {"name", "b64"} from stdin, unpacks each
// frame with msgpackr's default unpack and prints {"name", "value"} where the value is JSON with the
// JS types made explicit: BigInt → {"$bigint": "..."}, Uint8Array → {"$bytes": base64},
// undefined → {"$undefined": true}, other non-plain objects → {"$class": name}.
const { loadMsgpackr } = require('./msgpackr-loader');
const { unpack } = loadMsgpackr();

function annotate(v) {
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(annotate);
  if (Object.getPrototypeOf(v) !== Object.prototype) return { $class: v.constructor && v.constructor.name };
  const out = {};
  for (const k of Object.keys(v)) out[k] = annotate(v[k]);
  return out;
}

const input = require('fs').readFileSync(0, 'utf8');
for (const line of input.split('\n')) {
  if (!line.trim()) continue;
  const { name, b64 } = JSON.parse(line);
  let result;
  try {
    result = { name, value: annotate(unpack(Buffer.from(b64, 'base64'))), keys: null };
    const top = unpack(Buffer.from(b64, 'base64'));
    result.keys = Object.keys(top);
  } catch (e) {
    result = { name, error: String(e && e.message) };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}
