// Placeholder until the panel lands (issue 3).
export {};
