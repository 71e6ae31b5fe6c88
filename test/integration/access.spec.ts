// The case files in test/integration/access/, in one Jest sandbox (test/support/cases.ts says why).
import * as path from 'node:path';
import { describeCaseFiles } from '../support/cases';

describeCaseFiles(path.join(__dirname, 'access'));
