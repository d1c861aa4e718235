// placeholder until the classifier lands (helper-1 overwrites this file)
export const handler = async () => ({
  intent: 'other',
  confidence: 0,
  frustrated: false,
  urgent: false,
  humanRequested: false,
});
