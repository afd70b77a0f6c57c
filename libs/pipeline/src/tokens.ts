export const ENV = Symbol('dpb.env');
export const COUNCILS = Symbol('dpb.councils');
export const STAGE_HANDLERS = Symbol('dpb.stageHandlers');
export const NIGHT_FLOWS = 'dpb-night';
export const SCHEDULER_QUEUE = 'dpb-scheduler';
