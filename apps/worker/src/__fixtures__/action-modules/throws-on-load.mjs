// Test action module whose top level throws.
throw new Error('cannot connect to the billing API');
