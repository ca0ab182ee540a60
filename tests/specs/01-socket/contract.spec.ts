/** The example contract for every program of 01-socket (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('01-socket');
