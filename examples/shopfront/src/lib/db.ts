/**
 * Data access. Production wires these repositories to Postgres; this in-memory version
 * is what the service runs with in local development and in the integration tests.
 */
import { randomBytes } from 'node:crypto';

export interface Product {
  id: string;
  sku: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
}

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled';

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  lines: OrderLine[];
  totalCents: number;
  shippingCity: string;
  trackingNumber?: string;
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface Address {
  id: string;
  userId: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface Session {
  id: string;
  userId: string;
  userAgent: string;
  lastSeenAt: string;
}

const products = new Map<string, Product>();
const orders = new Map<string, Order>();
const users = new Map<string, User>();
const addresses = new Map<string, Address>();
const sessions = new Map<string, Session>();

const PAGE_SIZE = 24;

export const db = {
  products: {
    async list(opts: { page: number; category?: string }) {
      const all = [...products.values()].filter((p) => !opts.category || p.category === opts.category);
      const start = (opts.page - 1) * PAGE_SIZE;
      return { items: all.slice(start, start + PAGE_SIZE), total: all.length, page: opts.page };
    },
    async get(id: string) {
      return products.get(id);
    },
    async update(id: string, patch: Partial<Omit<Product, 'id'>>) {
      const current = products.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch, id };
      products.set(id, next);
      return next;
    },
    async remove(id: string) {
      return products.delete(id);
    },
    async alsoBought(id: string, limit: number) {
      const product = products.get(id);
      if (!product) return [];
      return [...products.values()].filter((p) => p.id !== id && p.category === product.category).slice(0, limit);
    },
  },

  orders: {
    async listForUser(userId: string) {
      return [...orders.values()].filter((o) => o.userId === userId);
    },
    async listAll(status?: OrderStatus) {
      return [...orders.values()].filter((o) => !status || o.status === status);
    },
    async get(id: string) {
      return orders.get(id);
    },
    async findByTrackingNumber(trackingNumber: string) {
      return [...orders.values()].find((o) => o.trackingNumber === trackingNumber);
    },
    async create(userId: string, lines: OrderLine[], shippingCity: string) {
      const order: Order = {
        id: `ord_${randomBytes(6).toString('hex')}`,
        userId,
        status: 'pending',
        lines,
        totalCents: lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
        shippingCity,
        createdAt: new Date().toISOString(),
      };
      orders.set(order.id, order);
      return order;
    },
    async update(id: string, patch: Partial<Pick<Order, 'status' | 'shippingCity' | 'trackingNumber'>>) {
      const current = orders.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch };
      orders.set(id, next);
      return next;
    },
  },

  users: {
    async all() {
      return [...users.values()];
    },
    async get(id: string) {
      return users.get(id);
    },
    async update(id: string, patch: Partial<Pick<User, 'name' | 'email'>>) {
      const current = users.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch };
      users.set(id, next);
      return next;
    },
    async remove(id: string) {
      return users.delete(id);
    },
    async addresses(userId: string) {
      return [...addresses.values()].filter((a) => a.userId === userId);
    },
    async sessions(userId: string) {
      return [...sessions.values()].filter((s) => s.userId === userId);
    },
  },

  /** Drops everything cached in front of the repositories (catalog pages, price lists). */
  async flushCaches() {
    return { flushed: ['catalog', 'prices'] };
  },
};
