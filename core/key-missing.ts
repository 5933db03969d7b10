/**
 * The reason code of a source row without a key (NULL or blank in a SQL source, absent from an XML
 * export record): the row is quarantined under a stand-in key (connectors/sql/row-keys.ts,
 * connectors/xml-files/record-rows.ts). Defined here once, as the connectors that write it, the
 * ledger that closes it on a person's word (ledger/quarantine-resolve.ts) and the light check that
 * counts its stand-ins no row gives any more (pipelines/reconcile/stand-ins-gone.ts) all read it,
 * and the layers let them meet only in core/.
 */
export const CODE_KEY_MISSING = 'LB_SOURCE_KEY_MISSING';
