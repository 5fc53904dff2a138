/**
 * Imported for its effect, before onnxruntime-node, by every module that loads it (and by the
 * one that starts the model worker, whose thread shares this process's native environment but
 * not a thread-local process.env). Without it onnxruntime writes a `mat-debug-<pid>.log` into the
 * temp folder of every process and keeps a telemetry queue under the home folder (a device id,
 * model file names, the process path): Inkwell writes nothing outside the paths it chooses.
 */
process.env.ORT_DISABLE_TELEMETRY = '1';

export {};
