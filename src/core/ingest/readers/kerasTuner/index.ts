/** The readers of a KerasTuner project folder: its oracle and its trials. */
import type { SourceReader } from '../../sourceReader';
import { kerasTunerOracleReader } from './oracleReader';
import { kerasTunerTrialReader } from './trialReader';

export const kerasTunerReaders: readonly SourceReader[] = [kerasTunerOracleReader, kerasTunerTrialReader];
