/**
 * IPC channel names shared by main and the preload. Import-free on purpose: the sandboxed preload bundles
 * this file and may require nothing but `electron`.
 */
export const IPC = {
  call: 'ledger:call',
  openFile: 'ledger-native:open-file',
  saveFile: 'ledger-native:save-file',
  showInFolder: 'ledger-native:show-in-folder',
} as const;
