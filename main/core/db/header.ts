/** 'TLDG' in the file header (`PRAGMA application_id`): marks the file as a Township Ledger database. */
export const APPLICATION_ID = 0x544c4447;
