// Runs @nestjs/swagger's CLI plugin inside ts-jest with the options nest-cli.json gives the
// build, so both produce the same OpenAPI document.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const plugin = require('@nestjs/swagger/plugin');

const nestCli = JSON.parse(readFileSync(join(__dirname, '..', '..', 'nest-cli.json'), 'utf8'));
const options = nestCli.compilerOptions.plugins.find(
  (entry) => entry.name === '@nestjs/swagger',
).options;

module.exports.name = 'nestjs-swagger-transformer';
// changes with the options, so that ts-jest's cache is refreshed when they do
module.exports.version = parseInt(
  createHash('sha1').update(JSON.stringify(options)).digest('hex').slice(0, 8),
  16,
);
module.exports.factory = (compiler) => plugin.before(options, compiler.program);
