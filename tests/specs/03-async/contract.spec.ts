/** The example contract for every program of 03-async (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('03-async');
