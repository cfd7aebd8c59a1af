import { defineRule, endpointLabel, primaryLocation } from '../src/rules/engine.js';

export default defineRule({
  id: 'write-endpoint',
  name: 'WriteEndpoint',
  severity: 'note',
  precision: 'very-high',
  tags: ['api-inventory', 'write-access'],
  shortDescription: 'Write-enabled endpoint (inventory)',
  fullDescription:
    'An inventory entry for every endpoint that accepts POST, PUT, PATCH or DELETE (or every method), with its authentication, so that the write surface of the API can be reviewed as a whole.',
  help: `Every endpoint that accepts POST, PUT, PATCH or DELETE (or \`ALL\`) is listed, so that the write surface of the
API is known. This is an inventory note, not a defect: review that each write is authenticated, authorised, rate
limited and documented.`,
  check({ inventory }) {
    return inventory
      .filter((e) => e.code.length && e.write)
      .map((e) => ({
        endpoint: e,
        message: `${endpointLabel(e)} is write-enabled (auth: ${e.auth}${e.spec.length ? ', documented' : ', undocumented'}).`,
        location: primaryLocation(e),
      }));
  },
});
