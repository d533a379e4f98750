/** The address a sign-in link was just sent to, for the "check your mail" page. Memory only. */
export const sentMail: { email: string | null } = $state({ email: null });
