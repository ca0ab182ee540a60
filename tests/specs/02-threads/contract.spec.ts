/** The example contract for every program of 02-threads (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('02-threads');
