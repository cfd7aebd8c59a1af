export {};

declare global {
  namespace Express {
    interface Request {
      /** Set by requireAuth from the verified access token. */
      user?: {
        id: string;
        email: string;
        roles: string[];
      };
      /** Unparsed request body, kept by express.json() for webhook signature checks. */
      rawBody?: Buffer;
    }
  }
}
