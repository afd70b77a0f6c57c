// Replaced by the bank and card intake (in progress).
import { nothingToDo, type StageContext, type StageSummary } from '../stage';
export async function runBankInStage(_ctx: StageContext): Promise<StageSummary> {
  return nothingToDo('bank and card intake not built yet');
}
