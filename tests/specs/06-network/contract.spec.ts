/** The example contract for every program of 06-network (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('06-network');
