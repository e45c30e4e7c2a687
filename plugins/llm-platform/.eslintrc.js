module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // The production build `yarn benchmark` makes of the dev app.
  ignorePatterns: ['dist-dev-app/'],
});
