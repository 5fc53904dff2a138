import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { SafetensorsWeightSource } from '../../../sidecar/builder/weights/SafetensorsWeightSource';
import type { WeightSource } from '../../../sidecar/builder/weights/WeightSource';

const INDEX = 'model.safetensors.index.json';

/**
 * The weights of a checkpoint folder written by train.py: `model.safetensors`, or the shards that
 * `model.safetensors.index.json` maps each tensor to (transformers' convention; the GPU recipe
 * shards so each file fits what the device tool brings back).
 */
export function checkpointWeights(dir: string): WeightSource {
  const indexFile = join(dir, INDEX);
  if (!existsSync(indexFile)) return SafetensorsWeightSource.open(join(dir, 'model.safetensors'));
  let weightMap: Record<string, string>;
  try {
    weightMap = (JSON.parse(readFileSync(indexFile, 'utf8')) as { weight_map: Record<string, string> }).weight_map;
  } catch (cause) {
    throw new InkwellError('model-invalid', `${indexFile} is not valid JSON with a weight_map`, { cause, details: { file: indexFile } });
  }
  if (typeof weightMap !== 'object' || weightMap === null) {
    throw new InkwellError('model-invalid', `${indexFile} has no "weight_map" object`, { details: { file: indexFile, field: 'weight_map' } });
  }
  const shards = new Map<string, SafetensorsWeightSource>();
  return {
    get(name, shape) {
      const file = weightMap[name];
      if (file === undefined) throw new InkwellError('model-invalid', `${indexFile} maps no shard for ${name}`, { details: { file: indexFile, tensor: name } });
      let shard = shards.get(file);
      if (!shard) shards.set(file, (shard = SafetensorsWeightSource.open(join(dir, file))));
      return shard.get(name, shape);
    },
  };
}
