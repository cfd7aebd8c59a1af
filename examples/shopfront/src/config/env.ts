function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export const config = {
  port: Number(process.env.PORT ?? 3000),
  jwtSecret: required('JWT_SECRET'),
  jwtIssuer: process.env.JWT_ISSUER ?? 'https://auth.shopfront.example',
  corsOrigins: (process.env.CORS_ORIGINS ?? 'https://shopfront.example').split(','),
  shipfastWebhookSecret: required('SHIPFAST_WEBHOOK_SECRET'),
  partnerApiKey: required('PARTNER_API_KEY'),
};
