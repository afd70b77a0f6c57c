// The generic EntityManager helpers live in @dpb/persistence; re-exported here for existing importers.
export { managerOf, updateReturning, type Db } from '@dpb/persistence';
