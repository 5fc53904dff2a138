import { isDeepStrictEqual } from 'node:util';
import type { AssistantModel } from '../engine';
import { checkSameVocabulary } from '../engine';
import { InkwellError } from '../engine';
import { loadModel, type LoadedModel, type LoadModelOptions } from './loadModel';
import { readModelFolder } from './model/modelFolder';
import { HfTokenizer } from './tokenizer/HfTokenizer';

/**
 * Loads the draft model of assisted generation (its own worker thread, like any model) after
 * checking that it shares the main model's vocabulary: the same tokenizer.json content, or
 * else the same token for every id. The error names both folders.
 */
export async function loadAssistantModel(main: LoadedModel, options: LoadModelOptions): Promise<AssistantModel & { readonly loaded: LoadedModel }> {
  const folder = options.folder ?? readModelFolder(options.dir);
  if (!isDeepStrictEqual(folder.tokenizerJson, main.folder.tokenizerJson)) {
    const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, []);
    if (tokenizer.vocabSize !== main.tokenizer.vocabSize || !sameTokens(tokenizer, main.tokenizer)) {
      throw new InkwellError(
        'model-invalid',
        `the assistant model ${folder.dir} does not share the vocabulary of the main model ${main.folder.dir}: ` +
          `their tokenizer.json files differ (${tokenizer.vocabSize} vs ${main.tokenizer.vocabSize} tokens); assisted generation needs the same tokenizer`,
        { details: { field: 'assistant_model', assistantModel: folder.dir, mainModel: main.folder.dir } },
      );
    }
  }
  const loaded = await loadModel({ ...options, folder });
  try {
    const assistant = { model: loaded.model, tokenizer: loaded.tokenizer, name: folder.dir };
    checkSameVocabulary({ model: main.model, tokenizer: main.tokenizer, name: main.folder.dir }, assistant);
    return { ...assistant, loaded };
  } catch (error) {
    await loaded.model.dispose();
    throw error;
  }
}

function sameTokens(a: HfTokenizer, b: HfTokenizer): boolean {
  for (let id = 0; id < a.vocabSize; id++) if (a.idToToken(id) !== b.idToToken(id)) return false;
  return true;
}
