export { fixture, fixturesDir, repoRoot } from '../../helpers/fixtures.js';
