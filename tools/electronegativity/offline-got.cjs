// Stands in for `got` inside electronegativity, whose i18n step downloads translations on every run and whose
// retry timer then throws after the run. The English texts ship with the package; nothing here goes online.
'use strict';
module.exports = function got() {
  return Promise.reject(new Error('offline: Idlehive scans without network access'));
};
module.exports.default = module.exports;
