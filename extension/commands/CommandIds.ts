/** Command ids, as contributed in package.json (the e2e tests use the same strings). */
export const CommandIds = {
  openPanel: 'inkwell.openPanel',
  restartSidecar: 'inkwell.restartSidecar',
  selectModelFolder: 'inkwell.selectModelFolder',
  downloadModel: 'inkwell.downloadModel',
  exportGenerationConfig: 'inkwell.exportGenerationConfig',
  importGenerationConfig: 'inkwell.importGenerationConfig',
  toggleCompletions: 'inkwell.toggleCompletions',
  showLogs: 'inkwell.showLogs',
  detectWatermark: 'inkwell.detectWatermark',
  clearWatermarkHighlights: 'inkwell.clearWatermarkHighlights',
} as const;

/** The webview view's id; VS Code adds `<id>.focus` for every view. */
export const PANEL_VIEW_ID = 'inkwell.panel';
