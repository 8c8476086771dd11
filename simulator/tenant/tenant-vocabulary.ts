/**
 * Static vocabulary of the synthetic tenant: names, departments, places, and the applications users
 * sign in to. Every organisation, domain and person is fictitious (`.example` domains, RFC 5737
 * documentation IP ranges).
 */

export const GIVEN_NAMES = [
  "Adele", "Alex", "Allan", "Bianca", "Cameron", "Christie", "Debra", "Diego", "Emily", "Enrico", "Grady",
  "Henrietta", "Irvin", "Isaiah", "Johanna", "Joni", "Lee", "Lidia", "Lynne", "Megan", "Miriam", "Nestor",
  "Patti", "Pradeep", "Raul", "Sanjay", "Sofia", "Tomas", "Wanda", "Yuki", "Amara", "Bruno", "Chiara",
  "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ingrid", "Jonas", "Kwame", "Lucia", "Mateo", "Nadia",
  "Oskar", "Priya", "Quentin", "Rosa", "Stefan", "Thandiwe", "Uma", "Viktor", "Wei", "Ximena", "Yusuf", "Zofia",
] as const;

export const SURNAMES = [
  "Vance", "Wilber", "Deyoung", "Pisani", "White", "Cline", "Berger", "Soto", "Braun", "Bianchi", "Archie",
  "Cortez", "Bellamy", "Johnson", "Lauer", "Sherman", "Gu", "Holloway", "Robbins", "Bowen", "Graham", "Wilke",
  "Fernandez", "Gupta", "Reyes", "Nair", "Lindqvist", "Novak", "Okafor", "Tanaka", "Mensah", "Costa", "Rossi",
  "Ivanova", "Yilmaz", "Haddad", "Petrovic", "Sato", "Larsen", "Becker", "Owusu", "Moreno", "Alvarez", "Khan",
  "Nilsson", "Sharma", "Dubois", "Garcia", "Weber", "Dlamini", "Patel", "Kowalski", "Chen", "Ramirez", "Demir", "Nowak",
] as const;

/** Departments with their job titles; weights are relative head counts. */
export const DEPARTMENTS: readonly { name: string; weight: number; titles: readonly string[] }[] = [
  { name: "Sales", weight: 16, titles: ["Account Executive", "Sales Manager", "Inside Sales Representative", "Sales Director"] },
  { name: "Marketing", weight: 7, titles: ["Marketing Specialist", "Product Marketing Manager", "Content Strategist"] },
  { name: "Engineering", weight: 18, titles: ["Software Engineer", "Senior Software Engineer", "Engineering Manager", "Site Reliability Engineer"] },
  { name: "Finance", weight: 7, titles: ["Accountant", "Financial Analyst", "Controller", "Payroll Specialist"] },
  { name: "Human Resources", weight: 4, titles: ["HR Business Partner", "Recruiter", "HR Generalist"] },
  { name: "Operations", weight: 14, titles: ["Operations Analyst", "Warehouse Associate", "Logistics Coordinator", "Shift Supervisor"] },
  { name: "Customer Support", weight: 12, titles: ["Support Engineer", "Customer Service Representative", "Support Team Lead"] },
  { name: "Legal", weight: 2, titles: ["Counsel", "Paralegal", "Compliance Officer"] },
  { name: "IT", weight: 5, titles: ["Systems Administrator", "Service Desk Analyst", "Cloud Architect"] },
  { name: "Product", weight: 6, titles: ["Product Manager", "UX Designer", "Product Owner"] },
  { name: "Retail", weight: 9, titles: ["Store Associate", "Store Manager", "Cashier"] },
];

/** Countries (ISO 3166 alpha-2 = usageLocation) with cities, states and a preferred language. */
export const COUNTRIES: readonly {
  code: string;
  name: string;
  language: string;
  weight: number;
  cities: readonly { city: string; state: string; postalCode: string }[];
}[] = [
  { code: "US", name: "United States", language: "en-US", weight: 40, cities: [
    { city: "Seattle", state: "WA", postalCode: "98101" }, { city: "Chicago", state: "IL", postalCode: "60601" },
    { city: "Austin", state: "TX", postalCode: "73301" }, { city: "New York", state: "NY", postalCode: "10001" }] },
  { code: "GB", name: "United Kingdom", language: "en-GB", weight: 12, cities: [
    { city: "London", state: "England", postalCode: "EC1A 1BB" }, { city: "Manchester", state: "England", postalCode: "M1 1AE" }] },
  { code: "DE", name: "Germany", language: "de-DE", weight: 10, cities: [
    { city: "Berlin", state: "Berlin", postalCode: "10115" }, { city: "Munich", state: "Bavaria", postalCode: "80331" }] },
  { code: "NL", name: "Netherlands", language: "nl-NL", weight: 6, cities: [
    { city: "Amsterdam", state: "North Holland", postalCode: "1011" }, { city: "Utrecht", state: "Utrecht", postalCode: "3511" }] },
  { code: "FR", name: "France", language: "fr-FR", weight: 7, cities: [
    { city: "Paris", state: "Ile-de-France", postalCode: "75001" }, { city: "Lyon", state: "Auvergne-Rhone-Alpes", postalCode: "69001" }] },
  { code: "IN", name: "India", language: "en-IN", weight: 10, cities: [
    { city: "Bengaluru", state: "Karnataka", postalCode: "560001" }, { city: "Hyderabad", state: "Telangana", postalCode: "500001" }] },
  { code: "JP", name: "Japan", language: "ja-JP", weight: 5, cities: [{ city: "Tokyo", state: "Tokyo", postalCode: "100-0001" }] },
  { code: "BR", name: "Brazil", language: "pt-BR", weight: 5, cities: [{ city: "Sao Paulo", state: "SP", postalCode: "01000-000" }] },
  { code: "AU", name: "Australia", language: "en-AU", weight: 5, cities: [{ city: "Sydney", state: "NSW", postalCode: "2000" }] },
];

/** Partner organisations guests come from (fictitious `.example` domains). */
export const GUEST_DOMAINS = ["fabrikam.example", "adventure-works.example", "tailspin.example", "wingtip.example", "litware.example"] as const;

/** A first-party application users sign in to. */
export interface SignInApp {
  appId: string;
  appDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
}

const EXO = { resourceId: "00000002-0000-0ff1-ce00-000000000000", resourceDisplayName: "Office 365 Exchange Online" };
const SPO = { resourceId: "00000003-0000-0ff1-ce00-000000000000", resourceDisplayName: "Office 365 SharePoint Online" };
const GRAPH = { resourceId: "00000003-0000-0000-c000-000000000000", resourceDisplayName: "Microsoft Graph" };

/**
 * Microsoft first-party apps seen in sign-in logs. The app ids of Microsoft Office, OfficeHome, Microsoft
 * Teams, Office 365 Exchange Online, Office 365 SharePoint Online, Power BI Service, Dynamics CRM Online,
 * Azure Portal and Microsoft Authentication Broker are Microsoft's well-known, widely published ids.
 * The Project and Visio ids are FICTITIOUS (no authoritative source at hand); they only need to be
 * stable within the simulator.
 */
export const SIGN_IN_APPS = {
  office: { appId: "d3590ed6-52b3-4102-aeff-aad2292ab01c", appDisplayName: "Microsoft Office", ...GRAPH },
  officeHome: { appId: "4765445b-32c6-49b0-83e6-1d93765276ca", appDisplayName: "OfficeHome", ...GRAPH },
  teams: { appId: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", appDisplayName: "Microsoft Teams", resourceId: "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", resourceDisplayName: "Microsoft Teams Services" },
  exchange: { appId: "00000002-0000-0ff1-ce00-000000000000", appDisplayName: "Office 365 Exchange Online", ...EXO },
  sharePoint: { appId: "00000003-0000-0ff1-ce00-000000000000", appDisplayName: "Office 365 SharePoint Online", ...SPO },
  powerBi: { appId: "00000009-0000-0000-c000-000000000000", appDisplayName: "Power BI Service", resourceId: "00000009-0000-0000-c000-000000000000", resourceDisplayName: "Power BI Service" },
  project: { appId: "5f0d1a6e-7c1b-4c55-9a3e-2b9c6f0e8d41", appDisplayName: "Project Online", ...SPO },
  visio: { appId: "8e2f0c3b-94d7-4a5e-b1f6-3c7a9d2e5b60", appDisplayName: "Visio Online", ...SPO },
  dynamics: { appId: "00000007-0000-0000-c000-000000000000", appDisplayName: "Dynamics CRM Online", resourceId: "00000007-0000-0000-c000-000000000000", resourceDisplayName: "Dynamics CRM Online" },
  azurePortal: { appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", appDisplayName: "Azure Portal", resourceId: "797f4846-ba00-4fd7-ba43-dac1f8f63013", resourceDisplayName: "Windows Azure Service Management API" },
  authBroker: { appId: "29d9ed98-a469-4536-ade2-f981bc1d605e", appDisplayName: "Microsoft Authentication Broker", ...GRAPH },
} as const satisfies Record<string, SignInApp>;

/** Enterprise (gallery-style) applications of the tenant. Publishers are fictitious organisations. */
export const ENTERPRISE_APPS: readonly {
  name: string;
  publisher: string;
  sso: "saml" | "oidc" | "password";
  assignmentRequired: boolean;
  /** Department whose members are assigned through the app's group; null = everyone may be. */
  department: string | null;
}[] = [
  { name: "Contoso CRM Cloud", publisher: "Fourth Coffee Software", sso: "saml", assignmentRequired: true, department: "Sales" },
  { name: "Ticketing Desk", publisher: "Proseware, Inc.", sso: "saml", assignmentRequired: true, department: "Customer Support" },
  { name: "PeopleFlow HR", publisher: "Lamna Healthcare Apps", sso: "saml", assignmentRequired: true, department: "Human Resources" },
  { name: "Ledgerly", publisher: "Trey Research", sso: "saml", assignmentRequired: true, department: "Finance" },
  { name: "CodeHarbor", publisher: "Fabrikam Dev Tools", sso: "oidc", assignmentRequired: true, department: "Engineering" },
  { name: "CloudConsole AWS-style", publisher: "Northwind Cloud", sso: "saml", assignmentRequired: true, department: "Engineering" },
  { name: "DesignBoard", publisher: "Woodgrove Creative", sso: "oidc", assignmentRequired: false, department: "Product" },
  { name: "Campaign Studio", publisher: "Alpine Ski House Digital", sso: "saml", assignmentRequired: true, department: "Marketing" },
  { name: "ContractVault", publisher: "Margie's Legal Tech", sso: "saml", assignmentRequired: true, department: "Legal" },
  { name: "ShiftPlanner", publisher: "Tailspin Workforce", sso: "oidc", assignmentRequired: true, department: "Retail" },
  { name: "RouteMaster", publisher: "Wide World Logistics", sso: "saml", assignmentRequired: true, department: "Operations" },
  { name: "AssetTrack ITSM", publisher: "Contoso Pharmaceuticals IT", sso: "saml", assignmentRequired: true, department: "IT" },
  { name: "MeetSpace Video", publisher: "Litware, Inc.", sso: "oidc", assignmentRequired: false, department: null },
  { name: "ChatOps Hub", publisher: "Adatum Corporation", sso: "oidc", assignmentRequired: false, department: null },
  { name: "SignFlow eSignature", publisher: "Bellows College Labs", sso: "saml", assignmentRequired: false, department: null },
  { name: "FileBox Enterprise", publisher: "Coho Winery Software", sso: "saml", assignmentRequired: false, department: null },
  { name: "Expense Now", publisher: "Relecloud", sso: "saml", assignmentRequired: false, department: null },
  { name: "Learning Portal", publisher: "School of Fine Art Online", sso: "saml", assignmentRequired: false, department: null },
  { name: "Travel Desk", publisher: "Blue Yonder Airlines", sso: "password", assignmentRequired: false, department: null },
  { name: "Benefits Portal", publisher: "Humongous Insurance", sso: "password", assignmentRequired: true, department: null },
  { name: "Payroll Legacy", publisher: "VanArsdel, Ltd.", sso: "password", assignmentRequired: true, department: "Finance" },
  { name: "Survey Pro", publisher: "Consolidated Messenger", sso: "oidc", assignmentRequired: false, department: null },
  { name: "Whiteboard Live", publisher: "Graphic Design Institute", sso: "oidc", assignmentRequired: false, department: null },
  { name: "Analytics Cloud", publisher: "Datum Analytics", sso: "saml", assignmentRequired: true, department: "Finance" },
  { name: "Partner Portal", publisher: "Wingtip Toys Online", sso: "saml", assignmentRequired: true, department: "Sales" },
  { name: "Knowledge Base", publisher: "Lucerne Publishing", sso: "oidc", assignmentRequired: false, department: null },
  { name: "Security Awareness", publisher: "Southridge Video", sso: "saml", assignmentRequired: false, department: null },
  { name: "Build Pipelines", publisher: "Fabrikam Dev Tools", sso: "oidc", assignmentRequired: true, department: "Engineering" },
  { name: "Store POS Admin", publisher: "Tailspin Workforce", sso: "password", assignmentRequired: true, department: "Retail" },
  { name: "Legacy Intranet", publisher: "Contoso IT (retired)", sso: "saml", assignmentRequired: true, department: null },
];
