/** Officer cases: findings an officer proposes and a second officer approves or rejects. */
export * from './model';
export * from './transitions';
export * from './case.service';
export * from './render';
