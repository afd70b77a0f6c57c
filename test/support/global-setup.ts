// Placeholder replaced by the local-stack work; kept so unit runs validate the config.
export default async function globalSetup(): Promise<void> {}
