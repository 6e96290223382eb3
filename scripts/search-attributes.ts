// Prints the `--search-attribute Name=Type` flags for `temporal server start-dev`,
// from the one list the workflows use.
import { allSearchAttributes, cliTypeOf } from '../workflows/shared/search-attributes';

process.stdout.write(allSearchAttributes.map((k) => `--search-attribute ${k.name}=${cliTypeOf[k.type]}`).join(' '));
