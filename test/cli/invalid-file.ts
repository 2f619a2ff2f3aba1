/**
 * INVALID_ACCESS_YAML is the invalid access.yaml the validate suites run: an unknown
 * permission (deploy:create, line 7) and one person declared twice (BOB@acme.io, line 8).
 */
export const INVALID_ACCESS_YAML = `version: 1
workspace: acme-prod
owner: founder@acme.io
members:
  - email: bob@acme.io
    role: developer
    permissions: [deploy:create]
  - email: BOB@acme.io
    role: developer
`;
