'use strict';
// Direction 1 of the codec cross-check: one message of every type, built as the TS client/server
// build them (plain object literals, undefined optional fields, realistic HLC millis), packed with
// msgpackr's default pack. Prints one JSON line per message: {"name": type, "b64": bytes}.
const { loadMsgpackr } = require('./msgpackr-loader');
const { pack } = loadMsgpackr();

const ts = { millis: 1700000000123, counter: 2, nodeId: 'node-a' };
const ts2 = { millis: 1700000000456, counter: 0, nodeId: 'client-1' };
const tag = '1700000000123:2:node-a';
const todo = (title, done) => ({ title, done, priority: 3 });
const record = { value: todo('buy milk', false), timestamp: ts };
const ttlRecord = { value: 'temp', timestamp: ts2, ttlMs: 60000 };
const orRecord = { value: 'tag-a', timestamp: ts, tag };
const tombstone = { value: null, timestamp: ts2 };

function batch(messages) {
  const parts = messages.map((m) => pack(m));
  const total = 4 + parts.reduce((s, p) => s + 4 + p.length, 0);
  const data = new Uint8Array(total);
  const view = new DataView(data.buffer);
  view.setUint32(0, parts.length, true);
  let pos = 4;
  for (const p of parts) {
    view.setUint32(pos, p.length, true);
    data.set(p, pos + 4);
    pos += 4 + p.length;
  }
  return { type: 'BATCH', count: parts.length, data };
}

const samples = [
  { type: 'AUTH_REQUIRED' },
  { type: 'AUTH', token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', protocolVersion: undefined },
  { type: 'AUTH_ACK' },
  { type: 'AUTH_FAIL', error: 'Invalid token' },
  { type: 'PING', timestamp: 1700000000123 },
  { type: 'PONG', timestamp: 1700000000123, serverTime: 1700000000130 },
  { type: 'ERROR', payload: { code: 400, message: 'Invalid message format', details: { field: 'payload.ops' } } },
  { type: 'SHUTDOWN_PENDING', retryAfter: 5000 },
  { type: 'GC_PRUNE', payload: { olderThan: ts } },
  { type: 'CLIENT_OP', payload: { id: 'op-1', mapName: 'todos', key: 't1', record, writeConcern: 'PERSISTED', timeout: 5000 } },
  {
    type: 'OP_BATCH',
    payload: {
      ops: [
        { id: 'op-1', mapName: 'todos', key: 't1', record },
        { id: 'op-2', mapName: 'todos', key: 't2', opType: 'REMOVE', record: tombstone },
        { id: 'op-3', mapName: 'tags', key: 'k', opType: 'OR_ADD', orRecord },
        { id: 'op-4', mapName: 'tags', key: 'k', opType: 'OR_REMOVE', orTag: tag, record: undefined },
        { id: 'op-5', mapName: 'cache', key: 'c', record: ttlRecord },
      ],
      writeConcern: 'APPLIED',
      timeout: 3000,
    },
  },
  {
    type: 'OP_ACK',
    payload: {
      lastId: 'op-5', achievedLevel: 'PERSISTED',
      results: [{ opId: 'op-1', success: true, achievedLevel: 'PERSISTED' }, { opId: 'op-2', success: false, achievedLevel: 'MEMORY', error: 'Access Denied' }],
    },
  },
  { type: 'OP_REJECTED', payload: { opId: 'op-9', reason: 'Access Denied', code: 403 } },
  { type: 'SERVER_EVENT', payload: { mapName: 'todos', key: 't1', eventType: 'UPDATED', record }, timestamp: ts },
  {
    type: 'SERVER_BATCH_EVENT',
    payload: { events: [{ mapName: 'tags', key: 'k', eventType: 'OR_ADD', orRecord }, { mapName: 'tags', key: 'k', eventType: 'OR_REMOVE', orTag: tag }] },
    timestamp: ts2,
  },
  { type: 'MERGE_REJECTED', mapName: 'todos', key: 't1', attemptedValue: todo('x', true), reason: 'IMMUTABLE', timestamp: ts },
  { type: 'SYNC_INIT', mapName: 'todos', lastSyncTimestamp: 1700000000000 },
  { type: 'SYNC_RESP_ROOT', payload: { mapName: 'todos', rootHash: 4115888500, timestamp: ts } },
  { type: 'MERKLE_REQ_BUCKET', payload: { mapName: 'todos', path: 'a' } },
  { type: 'SYNC_RESP_BUCKETS', payload: { mapName: 'todos', path: '', buckets: { 0: 12, f: 4294967295 } } },
  { type: 'SYNC_RESP_LEAF', payload: { mapName: 'todos', path: 'abc', records: [{ key: 't1', record }, { key: 't2', record: tombstone }] } },
  { type: 'SYNC_RESET_REQUIRED', payload: { mapName: 'todos' } },
  { type: 'ORMAP_SYNC_INIT', mapName: 'tags', rootHash: 3550467539, bucketHashes: { a: 1 }, lastSyncTimestamp: 1700000000000 },
  { type: 'ORMAP_SYNC_RESP_ROOT', payload: { mapName: 'tags', rootHash: 7, timestamp: ts } },
  { type: 'ORMAP_MERKLE_REQ_BUCKET', payload: { mapName: 'tags', path: '1f' } },
  { type: 'ORMAP_SYNC_RESP_BUCKETS', payload: { mapName: 'tags', path: '1', buckets: { 2: 99 } } },
  { type: 'ORMAP_SYNC_RESP_LEAF', payload: { mapName: 'tags', path: '1f2', entries: [{ key: 'k', records: [orRecord], tombstones: ['1700000000000:0:node-b'] }] } },
  { type: 'ORMAP_DIFF_REQUEST', payload: { mapName: 'tags', keys: ['k', 'j'] } },
  { type: 'ORMAP_DIFF_RESPONSE', payload: { mapName: 'tags', entries: [{ key: 'k', records: [orRecord], tombstones: [] }] } },
  { type: 'ORMAP_PUSH_DIFF', payload: { mapName: 'tags', entries: [{ key: 'j', records: [], tombstones: ['1700000000000:1:node-c'] }] } },
  { type: 'QUERY_SUB', payload: { queryId: 'q1', mapName: 'todos', query: { where: { done: false }, sort: { priority: 'desc' }, limit: 10, predicate: undefined } } },
  { type: 'QUERY_UNSUB', payload: { queryId: 'q1' } },
  {
    type: 'QUERY_RESP',
    payload: { queryId: 'q1', results: [{ key: 't1', value: todo('a', false) }, { key: 't2', value: todo('b', true), timestamp: ts }], nextCursor: 'Y3Vyc29y', hasMore: true, cursorStatus: 'valid' },
  },
  { type: 'QUERY_UPDATE', payload: { queryId: 'q1', key: 't1', value: null, type: 'REMOVE' } },
  { type: 'TOPIC_SUB', payload: { topic: 'chat/room-1' } },
  { type: 'TOPIC_UNSUB', payload: { topic: 'chat/room-1' } },
  { type: 'TOPIC_PUB', payload: { topic: 'chat/room-1', data: { text: 'héllo ✓', n: -7.25 } } },
  { type: 'TOPIC_MESSAGE', payload: { topic: 'chat/room-1', data: { text: 'hi' }, publisherId: 'client-1', timestamp: 1700000000999 } },
  { type: 'LOCK_REQUEST', payload: { requestId: 'r1', name: 'job-lock', ttl: 10000 } },
  { type: 'LOCK_GRANTED', payload: { requestId: 'r1', name: 'job-lock', fencingToken: 42 } },
  { type: 'LOCK_RELEASE', payload: { requestId: 'r2', name: 'job-lock', fencingToken: 42 } },
  { type: 'LOCK_RELEASED', payload: { requestId: 'r2', name: 'job-lock', success: true } },
  { type: 'COUNTER_REQUEST', payload: { name: 'likes' } },
  { type: 'COUNTER_RESPONSE', payload: { name: 'likes', state: { p: { 'node-a': 5 }, n: { 'node-b': 2 } } } },
  { type: 'COUNTER_UPDATE', payload: { name: 'likes', state: { p: { 'node-a': 6 }, n: {} } } },
  // The TS client sends counter state as {positive, negative}.
  { type: 'COUNTER_SYNC', payload: { name: 'likes', state: { positive: { 'client-1': 1 }, negative: {} } } },
  { type: 'ENTRY_PROCESS', requestId: 'e1', mapName: 'counters', key: 'c1', processor: { name: 'increment', code: undefined, args: { by: 2 } } },
  { type: 'ENTRY_PROCESS_BATCH', requestId: 'e2', mapName: 'counters', keys: ['c1', 'c2'], processor: { name: 'decrement', code: 'return value - 1' } },
  { type: 'ENTRY_PROCESS_RESPONSE', requestId: 'e1', success: true, result: 3, newValue: 3, error: undefined },
  { type: 'ENTRY_PROCESS_BATCH_RESPONSE', requestId: 'e2', results: { c1: { success: true, newValue: 1 }, c2: { success: false, error: 'not a number' } } },
  { type: 'JOURNAL_SUBSCRIBE', requestId: 'j1', fromSequence: '41', mapName: 'todos', types: ['PUT', 'DELETE'] },
  { type: 'JOURNAL_UNSUBSCRIBE', subscriptionId: 'j1' },
  {
    type: 'JOURNAL_EVENT',
    event: { sequence: '42', type: 'UPDATE', mapName: 'todos', key: 't1', value: todo('n', true), previousValue: todo('o', false), timestamp: ts, nodeId: 'node-a', metadata: { userId: 'u1' } },
  },
  { type: 'JOURNAL_READ', requestId: 'j2', fromSequence: '0', limit: 100, mapName: 'todos' },
  { type: 'JOURNAL_READ_RESPONSE', requestId: 'j2', events: [{ sequence: '1', type: 'DELETE', mapName: 'todos', key: 't2', value: undefined, timestamp: ts2, nodeId: 'node-b' }], hasMore: false },
  { type: 'REGISTER_RESOLVER', requestId: 'rr1', mapName: 'todos', resolver: { name: 'NUMERIC_MAX', priority: 50, keyPattern: 'score:*' } },
  { type: 'UNREGISTER_RESOLVER', requestId: 'rr2', mapName: 'todos', resolverName: 'NUMERIC_MAX' },
  { type: 'REGISTER_RESOLVER_RESPONSE', requestId: 'rr1', success: true },
  { type: 'UNREGISTER_RESOLVER_RESPONSE', requestId: 'rr2', success: false, error: 'not found' },
  { type: 'LIST_RESOLVERS', requestId: 'rr3', mapName: 'todos' },
  { type: 'LIST_RESOLVERS_RESPONSE', requestId: 'rr3', resolvers: [{ mapName: 'todos', name: 'NUMERIC_MAX', priority: 50, keyPattern: 'score:*' }, { mapName: 'docs', name: 'LWW' }] },
  { type: 'SEARCH', payload: { requestId: 's1', mapName: 'docs', query: 'green tea', options: { limit: 10, minScore: 0.5, boost: { title: 2 } } } },
  { type: 'SEARCH_RESP', payload: { requestId: 's1', results: [{ key: 'd1', value: { title: 'Green tea' }, score: 1.75, matchedTerms: ['green', 'tea'] }], totalCount: 1 } },
  { type: 'SEARCH_SUB', payload: { subscriptionId: 'sub-1', mapName: 'docs', query: 'tea', options: undefined } },
  { type: 'SEARCH_UPDATE', payload: { subscriptionId: 'sub-1', key: 'd2', value: { title: 'Tea' }, score: 0.9, matchedTerms: ['tea'], type: 'ENTER' } },
  { type: 'SEARCH_UNSUB', payload: { subscriptionId: 'sub-1' } },
  { type: 'PARTITION_MAP_REQUEST', payload: { currentVersion: 3 } },
  {
    type: 'PARTITION_MAP',
    payload: {
      version: 4, partitionCount: 271,
      nodes: [{ nodeId: 'node-a', endpoints: { websocket: 'ws://10.0.0.1:8080' }, status: 'ACTIVE' }],
      partitions: [{ partitionId: 0, ownerNodeId: 'node-a', backupNodeIds: ['node-b'] }],
      generatedAt: 1700000000777,
    },
  },
  batch([{ type: 'PING', timestamp: 1 }, { type: 'AUTH_ACK' }]),
];

for (const s of samples) {
  process.stdout.write(JSON.stringify({ name: s.type, b64: Buffer.from(pack(s)).toString('base64') }) + '\n');
}
