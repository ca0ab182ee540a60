/** The example contract for every program of 07-web (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('07-web');
