/** The in-memory storage passes the shared storage conformance suite. */
import { MemoryStorage } from "../../src/index.js";
import { describeStorage } from "./conformance.js";

describeStorage("memory", { create: async () => new MemoryStorage() });
