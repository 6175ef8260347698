/** The package version, compiled in from the root package.json. */
import packageJson from '../../../package.json';

export const VERSION: string = packageJson.version;
