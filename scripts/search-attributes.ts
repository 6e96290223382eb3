// Prints the `--search-attribute Name=Type` flags for `temporal server start-dev`,
// from the one list the workflows use.
import { allSearchAttributes } from '../workflows/shared/search-attributes';

const cliType: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

process.stdout.write(allSearchAttributes.map((k) => `--search-attribute ${k.name}=${cliType[k.type]}`).join(' '));
