'use strict';
// Loads msgpackr from the folder scripts/test.sh installs it into (TOPGUN_NODE_MODULES).
const path = require('path');

function loadMsgpackr() {
  const dir = process.env.TOPGUN_NODE_MODULES;
  if (!dir) throw new Error('TOPGUN_NODE_MODULES is not set; run scripts/test.sh');
  return require(path.join(dir, 'msgpackr'));
}

module.exports = { loadMsgpackr };
