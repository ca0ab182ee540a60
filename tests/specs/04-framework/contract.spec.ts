/** The example contract for every program of 04-framework (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('04-framework');
