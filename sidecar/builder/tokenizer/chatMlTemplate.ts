/**
 * ChatML as a Jinja chat template: each message is `<|im_start|>{role}\n{content}<|im_end|>\n`,
 * and a generation prompt opens an assistant turn. Whitespace control (`-`) keeps the template's
 * own line breaks out of the rendered prompt; the `\n` escapes are Jinja string escapes.
 */
export const chatMlTemplate = [
  '{%- for message in messages -%}',
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}",
  '{%- endfor -%}',
  '{%- if add_generation_prompt -%}',
  "{{- '<|im_start|>assistant\\n' -}}",
  '{%- endif -%}',
].join('\n');
