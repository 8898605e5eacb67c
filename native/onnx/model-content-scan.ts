/**
 * The two checks that guard the host itself, run over every message of the
 * decoded model by reflection rather than by a hand-written walk, so no place a
 * tensor or a string can hide (Constant attributes, sparse indices, If/Loop/Scan
 * bodies at any depth, functions, type protos) is missed, including places
 * added to the schema later:
 *
 * - external data: onnxruntime resolves `external_data` locations against the
 *   model's directory, and path checks have been bypassed repeatedly (`../x`,
 *   absolute paths, `sub/../../x`). Jobs carry all their bytes inline, so any
 *   external reference at all is refused, whatever its path.
 * - `_ORT_MEM_ADDR_`: onnxruntime treats this location marker as "the data is
 *   at this address in my memory", which reads arbitrary process memory.
 *   Refused in any string or bytes field, not only in locations.
 */
import type protobuf from 'protobufjs';
import { DataLocation, ModelProtoType, type TensorProto } from './onnx-proto.ts';
import { type ModelRule, type Rejection, reject } from './validation-rules.ts';

export const MEMORY_ADDRESS_MARKER = '_ORT_MEM_ADDR_';
const MARKER_BYTES = new TextEncoder().encode(MEMORY_ADDRESS_MARKER);

type ContentRule = Extract<ModelRule, 'onnx.external_data' | 'onnx.memory_address_marker'>;

/** Fields whose bytes are tensor payloads, not names or strings: the marker has no meaning there. */
const PAYLOAD_FIELDS = new Set(['raw_data']);

function containsMarker(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(MARKER_BYTES) !== -1;
}

function describe(path: string, message: Record<string, unknown>): string {
  const name = message.name;
  return typeof name === 'string' && name !== '' ? `${path} '${name}'` : path;
}

function checkTensorLocation(tensor: TensorProto, where: string): Rejection<ContentRule> | null {
  const entries = tensor.external_data ?? [];
  const location = tensor.data_location ?? DataLocation.DEFAULT;
  if (entries.length > 0) {
    const path = entries.find((entry) => entry.key === 'location')?.value;
    const shown = path === undefined ? '' : ` (location '${path}')`;
    return reject(
      'onnx.external_data',
      `${where} reads its data from an external file${shown}; jobs must carry all data inline.`,
    );
  }
  if (location !== DataLocation.DEFAULT) {
    return reject(
      'onnx.external_data',
      `${where} sets data_location ${location} (external); jobs must carry all data inline.`,
    );
  }
  return null;
}

function scanMessage(
  type: protobuf.Type,
  message: Record<string, unknown>,
  path: string,
): Rejection<ContentRule> | null {
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (let index = 0; index < values.length; index++) {
      const item = values[index];
      const itemPath = Array.isArray(value) ? `${path}.${field.name}[${index}]` : `${path}.${field.name}`;
      const found = scanValue(field, item, itemPath, message, path);
      if (found) return found;
    }
  }
  // After the fields, so a marker inside an external_data entry is reported as the marker it is.
  if (type.name === 'TensorProto') return checkTensorLocation(message as TensorProto, describe(path, message));
  return null;
}

function scanValue(
  field: protobuf.Field,
  item: unknown,
  itemPath: string,
  parent: Record<string, unknown>,
  parentPath: string,
): Rejection<ContentRule> | null {
  const nested = field.resolvedType;
  if (nested && 'fieldsArray' in nested) {
    return scanMessage(nested as protobuf.Type, item as Record<string, unknown>, itemPath);
  }
  if (typeof item === 'string' && item.includes(MEMORY_ADDRESS_MARKER)) {
    return markerRejection(`${field.name} of ${describe(parentPath, parent)}`);
  }
  if (item instanceof Uint8Array && !PAYLOAD_FIELDS.has(field.name) && containsMarker(item)) {
    return markerRejection(`${field.name} of ${describe(parentPath, parent)}`);
  }
  return null;
}

function markerRejection(where: string): Rejection<ContentRule> {
  return reject(
    'onnx.memory_address_marker',
    `the ${where} contains onnxruntime's in-memory address marker ${MEMORY_ADDRESS_MARKER}, which reads arbitrary memory.`,
  );
}

/**
 * Scans a decoded model for external data and the memory-address marker. The
 * raw bytes are searched for the marker too, as a last line: our walk refuses
 * it in every field it knows, and the wire scan already refused every field it
 * does not know, so a hit there means the marker sits inside tensor payload.
 */
export function scanModelContent(model: object, bytes: Uint8Array): Rejection<ContentRule> | null {
  const found = scanMessage(ModelProtoType, model as Record<string, unknown>, 'model');
  if (found) return found;
  if (containsMarker(bytes)) return markerRejection('model bytes');
  return null;
}
