/** The example contract for every program of 05-udp (see support/contract.ts). */
import { checkContract } from '../../support/contract.ts';

checkContract('05-udp');
